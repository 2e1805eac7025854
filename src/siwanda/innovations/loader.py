def load_sdgs(sdg_model) -> None:
    """The 17 Sustainable Development Goals, as rows (takes the model: the data migration passes
    its historical one)."""
    sdg_model.objects.bulk_create(
        [sdg_model(number=n) for n in range(1, 18)], ignore_conflicts=True
    )
