"""The kiosk's application for a posting (我要报名): how the worker says who they are.

A worker is recognised by the QR of their registration slip on the scanner, or by their ID
number and the last four digits of their registered phone, both typed on the keypad (an ID
number is printed on many papers; the phone's last four is what only the person knows)."""

from wtforms import HiddenField, StringField

from app.forms import KeyedForm


class JobApplyForm(KeyedForm):
    """Field names are the contract of ``POST /kiosk/jobs/<id>/apply[/review]``; each step
    shown carries a one-time ``form_key`` (the review's own: the same confirmation applies
    once)."""

    slip = StringField()  # what the slip scanner typed; the worker's token once recognised
    id_number = StringField()
    phone_last4 = StringField()
    screen = HiddenField()  # "board": the second screen, whose idle timer returns to the board
