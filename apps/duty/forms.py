"""The forms of the duty pages: parsing only; the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SELF_REPORTABLE, ActivityKind, PlateKind


class RecordForm(forms.Form):
    deputy = forms.TypedChoiceField(label=_("代表"), coerce=int, required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=[(k.value, k.label) for k in SELF_REPORTABLE])
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("事项"), max_length=200)
    detail = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    hours = forms.DecimalField(
        label=_("时长（小时）"), required=False, min_value=0, max_digits=5, decimal_places=1
    )
    household = forms.TypedChoiceField(
        label=_("走访/帮扶户"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("走访选民或结对帮扶时，可选本人联系或结对的户"),
    )

    def __init__(self, *args, deputies=None, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        if deputies is None:
            del self.fields["deputy"]
        else:
            self.fields["deputy"].choices = [("", "—")] + [(d.pk, d.name) for d in deputies]
            self.fields["deputy"].required = True
        self.fields["household"].choices = [("", "—")] + [
            (h.pk, f"{h.head_name}（{h.address}）") for h in households
        ]


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", _("通过")), ("0", _("退回"))])
    reason = forms.CharField(label=_("审核意见"), max_length=200, required=False)


class PlateForm(forms.Form):
    deputy = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("处理方式"), choices=PlateKind.choices)
    reason = forms.CharField(label=_("理由"), max_length=300)
    notes = forms.CharField(label=_("谈话记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    year = forms.IntegerField(label=_("评价年度"))


KIND_LABELS = dict(ActivityKind.choices)
