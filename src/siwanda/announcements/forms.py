from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from siwanda.competitions.models import Competition
from siwanda.core.forms import ModelForm

from .models import Announcement
from .services import ATTACHMENT_MAX_MB


class AnnouncementForm(ModelForm):
    attachment = forms.FileField(
        label=_("Attachment (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    remove_attachment = forms.BooleanField(label=_("Remove the attachment"), required=False)
    publish = forms.BooleanField(
        label=_("Publish now (otherwise it is saved as a draft only your secretariat sees)"),
        required=False,
    )

    field_order = [
        "kind",
        "title",
        "body",
        "competition",
        "attachment",
        "remove_attachment",
        "is_pinned",
        "publish",
    ]

    class Meta:
        model = Announcement
        fields = ["kind", "title", "body", "competition", "attachment", "is_pinned"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, region, announcement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competition"].queryset = Competition.objects.filter(region=region).order_by(
            "-year", "name"
        )
        self.fields["attachment"].help_text = gettext(
            "Optional. PDF only, at most %(size)d MB."
        ) % {"size": ATTACHMENT_MAX_MB}
        if announcement is None:
            del self.fields["remove_attachment"]
        else:
            del self.fields["publish"]
            if announcement.attachment:
                self.fields["attachment"].help_text = gettext(
                    "Now: %(name)s. Choose a file to replace it (PDF only, at most %(size)d MB)."
                ) % {"name": announcement.attachment_name, "size": ATTACHMENT_MAX_MB}
            else:
                del self.fields["remove_attachment"]
