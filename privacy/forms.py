from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import DataSubjectRequest, PrivacyNotice


def consent_field(label=None):
    """The box a person ticks to agree to the notice in force (never ticked in advance)."""
    notice = PrivacyNotice.current()
    help_text = format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', reverse("privacy:notice"),
                            _("Read the personal data notice (version {version})").format(
                                version=notice.version if notice else "—"))
    return forms.BooleanField(
        label=label or _("I have read the personal data notice and agree that my data is processed as it says"),
        required=True, help_text=help_text,
        error_messages={"required": _("Please tick the box to agree to the personal data notice; "
                                      "without it we cannot keep your details.")})


class ConsentForm(forms.Form):
    """Starting a seller application (also used by assistants, with another label)."""

    def __init__(self, *args, assisted=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_consent"] = consent_field(
            _("The household has read (or been read) the personal data notice and agrees to it; "
              "I record its consent in my name") if assisted else None)
        self.fields["privacy_consent"].widget.attrs["class"] = "form-check-input"


class SubjectRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=DataSubjectRequest.KIND_CHOICES)
    details = forms.CharField(label=_("Details (what is wrong, what should be corrected)"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == DataSubjectRequest.CORRECTION and not data.get("details"):
            self.add_error("details", _("Tell us which data is wrong and what it should be."))
        return data


class RequestDecisionForm(forms.Form):
    status = forms.ChoiceField(choices=[(DataSubjectRequest.DONE, _("Done")),
                                        (DataSubjectRequest.REFUSED, _("Refused"))])
    answer = forms.CharField(label=_("Answer to the person"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("status") == DataSubjectRequest.REFUSED and not data.get("answer"):
            self.add_error("answer", _("Say why the request is refused."))
        return data
