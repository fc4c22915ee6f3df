"""The kiosk's application for a posting (我要报名): how the worker says who they are.

A worker is recognised by the QR of their registration slip on the scanner, or by their ID
number and the last four digits of their registered phone, both typed on the keypad (an ID
number is printed on many papers; the phone's last four is what only the person knows)."""

from wtforms import HiddenField, StringField

from app.domain import Invalid
from app.forms import HallForm, checked_form_key


class JobApplyForm(HallForm):
    """Field names are the contract of ``POST /kiosk/jobs/<id>/apply[/review]``."""

    slip = StringField()  # what the slip scanner typed; the worker's token once recognised
    id_number = StringField()
    phone_last4 = StringField()
    form_key = HiddenField()  # one per review shown: the same confirmation applies once
    screen = HiddenField()  # "board": the second screen, whose idle timer returns to the board

    def validate(self, extra_validators=None) -> bool:
        """The hall's checks (CSRF, unreadable characters); a form key, where one is sent,
        must be one this session issued."""
        ok = super().validate(extra_validators)
        self.form_key.cleaned = None
        if self.form_key.data:
            try:
                self.form_key.cleaned = checked_form_key(self.form_key.data)
            except Invalid as err:
                self.form_key.errors = [*self.form_key.errors, err.message]
                ok = False
        return ok
