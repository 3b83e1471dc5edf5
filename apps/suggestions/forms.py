"""Forms of the suggestion and motion pages. They parse and render; every rule is checked again by the
services (co-signers of the lead's town, opinions of that town, the office's region)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.scopes import grants_of, is_admin, visible_to
from apps.opinions.models import Opinion, Topic
from apps.people.models import Deputy, MandateStatus
from apps.places.models import Region, RegionLevel
from apps.places.terms import TOWNSHIP

from .models import Period

MAX_OPTIONS = 1000


class Drafters:
    """Whom a user may draft for: themselves (a deputy), or a deputy of their region (an office)."""

    def __init__(self, user):
        self.user = user
        self.admin = is_admin(user)
        self.own = None
        self.towns: set[int] = set()
        self.counties: set[int] = set()
        for g in grants_of(user):
            if g.role == Role.DEPUTY and g.deputy_id:
                self.own = g.deputy
            elif g.role in (Role.COUNTY_OFFICE, Role.TOWN_OFFICE) and g.region is not None:
                (self.towns if g.region.level == RegionLevel.TOWN else self.counties).add(g.region_id)

    @property
    def office(self) -> bool:
        return self.admin or bool(self.towns or self.counties)

    @property
    def any(self) -> bool:
        return self.office or self.own is not None

    def _region_q(self) -> Q:
        if self.admin:
            return Q()
        return Q(town_id__in=self.towns) | Q(county_id__in=self.counties)

    def deputies(self):
        """The deputies a draft may name (lead or co-signer): the deputy's town, or the office's region."""
        qs = Deputy.objects.filter(status=MandateStatus.IN_OFFICE, town__isnull=False).select_related("town")
        if self.office:
            qs = qs.filter(self._region_q())
            if self.own is not None:
                qs = qs | Deputy.objects.filter(town_id=self.own.town_id).select_related("town")
        else:
            qs = qs.filter(town_id=self.own.town_id if self.own else None)
        return qs.order_by("town__code", "name_pinyin")[:MAX_OPTIONS]

    def towns_list(self):
        qs = Region.objects.filter(level=RegionLevel.TOWN)
        if not self.admin:
            qs = qs.filter(Q(pk__in=self.towns) | Q(county_id__in=self.counties))
        return qs.order_by("code")[:MAX_OPTIONS]


def _deputy_choices(deputies, *, with_town: bool) -> list:
    return [(d.pk, f"{d.name}（{d.town.name}）" if with_town else d.name) for d in deputies]


class SuggestionForm(forms.Form):
    lead = forms.ChoiceField(label=_("领衔代表"), required=False)
    title = forms.CharField(label=_("标题"), max_length=100, help_text=_("如：关于硬化月河村通组路的建议"))
    content = forms.CharField(
        label=_("建议内容"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": _("写清问题、原因和具体建议")}),
    )
    topic = forms.ChoiceField(label=_("类别"), choices=Topic.choices, initial=Topic.OTHER)
    period = forms.ChoiceField(
        label=_("提出时间"), choices=Period.choices, initial=Period.BETWEEN, widget=forms.RadioSelect
    )
    session_label = forms.CharField(
        label=_("会议"), max_length=100, required=False, help_text=_("如：第十八届人大第五次会议")
    )
    co_signers = forms.MultipleChoiceField(
        label=_("邀请联名代表"), required=False, widget=forms.CheckboxSelectMultiple
    )
    opinions = forms.MultipleChoiceField(
        label=_("来源社情民意"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("可多选；电脑上按住 Ctrl 多选"),
    )

    def __init__(self, *args, drafters: Drafters, editing=None, extra_opinion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.drafters = drafters
        deputies = list(drafters.deputies())
        many_towns = len({d.town_id for d in deputies}) > 1
        own = drafters.own
        if editing is not None or (own is not None and not drafters.office):
            del self.fields["lead"]
        else:
            self.fields["lead"].choices = [("", "—"), *_deputy_choices(deputies, with_town=many_towns)]
            self.fields["lead"].help_text = _("人大办代代表录入时选择；代表本人提出可不选")
            if own is None:
                self.fields["lead"].required = True
        lead_id = editing.lead_id if editing is not None else (own.pk if own else None)
        self.fields["co_signers"].choices = _deputy_choices(
            [d for d in deputies if d.pk != lead_id], with_town=many_towns
        )
        if editing is not None:
            del self.fields["opinions"]
        else:
            opinions = list(self._opinions(drafters))
            if extra_opinion is not None and extra_opinion.pk not in {o.pk for o in opinions}:
                opinions.insert(0, extra_opinion)
            self.fields["opinions"].choices = [(o.pk, f"{o.tracking_code} {o.title}") for o in opinions]

    def _opinions(self, drafters: Drafters):
        qs = visible_to(drafters.user, Opinion)
        if drafters.own is not None and not drafters.office:
            qs = qs.filter(town_id=drafters.own.town_id)
        return qs.only("pk", "tracking_code", "title").order_by("-received_on", "-pk")[:200]

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["co_signers"] = [int(i) for i in data.get("co_signers") or []]
        if "opinions" in data:
            data["opinions"] = [int(i) for i in data["opinions"] or []]
        if not data.get("lead"):
            data.pop("lead", None)
        return data


class MotionForm(forms.Form):
    region = forms.ChoiceField(label=_("镇"), required=False)
    title = forms.CharField(
        label=_("标题"), max_length=100, help_text=_("如：关于设立月河流域保护专项资金的议案")
    )
    content = forms.CharField(
        label=_("议案内容"), max_length=10000, widget=forms.Textarea(attrs={"rows": 10})
    )
    session_label = forms.CharField(label=_("会议"), max_length=100, required=False)
    co_signers = forms.MultipleChoiceField(
        label=_("联名代表"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("代表联名提出议案须有5名以上本镇人大代表确认联名（县人大代表不计入）"),
    )

    def __init__(self, *args, drafters: Drafters, terms=TOWNSHIP, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_presidium = drafters.office and drafters.own is None
        if terms.is_street:  # a street's motion: its own council members sign (DOMAIN §1)
            self.fields["co_signers"].help_text = _("联名提出议案须有5名以上本%(town)s%(deputy)s确认联名") % {
                "town": terms.town,
                "deputy": terms.deputy,
            }
        from .selectors import seated_in_own_town

        # only the town congress's own deputies may sign its motion: a county deputy is not offered
        deputies = seated_in_own_town(list(drafters.deputies()))
        many_towns = len({d.town_id for d in deputies}) > 1
        own_id = drafters.own.pk if drafters.own else None
        self.fields["co_signers"].choices = _deputy_choices(
            [d for d in deputies if d.pk != own_id], with_town=many_towns
        )
        if self.by_presidium:
            towns = list(drafters.towns_list())
            self.fields["region"].choices = [(t.code, t.name) for t in towns]
            self.fields["region"].required = True
            self.fields["co_signers"].label = _("附议代表")
            needless = _("%(who)s提出的议案不需要代表联名") % {"who": terms.presidium}
            self.fields["co_signers"].help_text = needless
            if len(towns) == 1:
                self.fields["region"].initial = towns[0].code
        else:
            del self.fields["region"]

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["co_signers"] = [int(i) for i in data.get("co_signers") or []]
        data["by_presidium"] = self.by_presidium
        return data
