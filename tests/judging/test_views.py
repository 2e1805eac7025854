from django.urls import reverse
from tests.helpers import login
from siwanda.judging.models import PanelMember
from siwanda.judging import services

def test_probe(client, people, closed, screened, jurors):
    # make the conflicted juror the chair
    PanelMember.objects.filter(stage=closed).update(is_chair=False)
    PanelMember.objects.filter(stage=closed, juror=jurors[4]).update(is_chair=True)
    login(client, jurors[4])
    r = client.get(reverse("judging:ranking", args=[closed.pk]))
    print(r.status_code, screened[0].title in r.content.decode())
    m = closed.moderations.first()
    print(m.proposal_id == screened[1].pk)
    services.recusal_declare  # noqa
    # conflict jurors[4] with screened[1] too by making moderation on screened[0]
    from siwanda.judging.models import Moderation
    m0 = Moderation.objects.create(stage=closed, proposal=screened[0], spread=30)
    r = client.get(reverse("judging:moderation", args=[m0.pk]))
    print("moderation of conflicted", r.status_code)
    r = client.post(reverse("judging:moderation", args=[m0.pk]), {"keep": "on", "justification": "x"})
    m0.refresh_from_db(); print(r.status_code, m0.status)
