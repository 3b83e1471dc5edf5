"""The main menu, built from the permission vocabulary and grouped by the user's tasks.

Each entry names the capability it needs; a user sees an entry only when holding it (`permissions.holds`),
and a group only when it has entries left. Nothing else in the code decides what the menu shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import permissions as perms


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    cap: perms.Capability
    congress: bool = False  # only where a congress sits: not offered to a street's people (DOMAIN §1)


@dataclass(frozen=True)
class Group:
    label: str
    entries: tuple[Entry, ...]


# At most seven groups (issue #13): a county clerk's 22 links, sorted by what they are doing.
MENU: tuple[Group, ...] = (
    Group(
        _("民意与建议"),
        (
            Entry(_("社情民意"), "opinions:list", perms.OPINION_BROWSE),
            Entry(_("接待日"), "opinions:reception_list", perms.OPINION_RECEPTION),
            Entry(_("代表建议"), "suggestions:list", perms.SUGGESTION_BROWSE),
            Entry(_("议案"), "suggestions:motion_list", perms.MOTION_BROWSE),
            Entry(_("联名邀请"), "suggestions:invitations", perms.COSIGN_ANSWER),
        ),
    ),
    Group(
        _("会议表决"),
        (
            Entry(_("会议表决"), "meetings:list", perms.MEETING_BROWSE),
            Entry(_("分组审议"), "meetings:deliberation", perms.DELIBERATION_BROWSE),
            Entry(_("决议执行"), "meetings:resolutions_home", perms.RESOLUTION_BROWSE),
            Entry(_("会议清单"), "meetings:checklists", perms.MEETING_MANAGE),
            Entry(_("选举"), "elections:list", perms.ELECTION_MANAGE, congress=True),
            Entry(_("加密票箱"), "ballotbox:boxes", perms.BALLOTBOX_TELL),
        ),
    ),
    # issue 18: the supervision home and the two lists units and deputies work in (ratings, rectification)
    Group(
        _("监督工作"),
        (
            Entry(_("监督工作"), "supervision:home", perms.SUPERVISION_BROWSE),
            Entry(_("工作评议"), "evaluations:home", perms.EVALUATION_BROWSE),
            Entry(_("整改事项"), "rectification:list", perms.RECTIFICATION_BROWSE),
            # issue 20 part 4: the year's calendar of duties
            Entry(_("年度工作日历"), "yearplan:list", perms.YEARPLAN_BROWSE),
            # issue 19: livelihood projects decided by the deputies' vote
            Entry(_("民生实事项目"), "projects:index", perms.PROJECT_BROWSE),
        ),
    ),
    Group(
        _("代表履职"),
        (
            Entry(_("我的履职"), "duty:mine", perms.DUTY_OWN),
            Entry(_("履职档案"), "archive:mine", perms.ARCHIVE_OWN),
            Entry(_("履职审核"), "duty:review", perms.DUTY_REVIEW),
            Entry(_("履职积分"), "duty:scores", perms.DUTY_SCORES),
            Entry(_("实事承诺"), "archive:commitments", perms.COMMITMENT_RATE),
            Entry(_("向选民述职"), "archive:meetings", perms.REPORT_BACK_MANAGE),
        ),
    ),
    Group(
        _("代表与联络站"),
        (
            Entry(_("代表"), "people:deputy_list", perms.PEOPLE_BROWSE),
            Entry(_("联络站"), "places:station_list", perms.PLACES_BROWSE),
            Entry(_("网格与选民户"), "places:region_list", perms.PLACES_BROWSE),
            Entry(_("承办单位"), "places:unit_list", perms.PLACES_BROWSE),
            Entry(_("导入"), "people:import", perms.PEOPLE_IMPORT),
            Entry(_("联系配额"), "people:quota", perms.PEOPLE_QUOTA),
        ),
    ),
    Group(
        _("统计"),
        (
            Entry(_("工作看板"), "dashboards:home", perms.DASHBOARD_VIEW),  # issue 20 part 5
            Entry(_("社情民意统计"), "opinions:stats", perms.OPINION_STATS),
            Entry(_("建议统计"), "suggestions:stats", perms.SUGGESTION_STATS),
            Entry(_("六簿一册一表"), "archive:registers", perms.ARCHIVE_REGISTERS),
            Entry(_("联系选民进度"), "archive:behind", perms.ARCHIVE_BEHIND),
            # issue 20: the township assessment (积分制)
            Entry(_("人大工作考核"), "assessment:home", perms.ASSESSMENT_BROWSE),
        ),
    ),
    Group(
        _("系统"),
        (
            Entry(_("本地规则"), "localrules:rule_list", perms.LOCAL_RULE_SET),
            # issue 21: the procedure book and the rules book
            Entry(_("流程图"), "procedures:index", perms.PROCEDURE_BROWSE),
            Entry(_("规则汇编"), "procedures:rules", perms.PROCEDURE_BROWSE),
            Entry(_("账号管理"), "accounts:account_list", perms.ACCOUNTS_MANAGE),
            Entry(_("我的账号"), "accounts:me", perms.ACCOUNT_OWN),
            Entry(_("系统管理"), "admin:index", perms.ADMIN_SITE),
        ),
    ),
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Shown:
    label: str
    links: tuple[Link, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def entries_for(user) -> list[tuple[Group, list[Entry]]]:
    """The groups the user sees, each with the entries they hold the capability of."""
    from apps.places.terms import terms_for_user

    shown = []
    for group in MENU:
        entries = [e for e in group.entries if perms.holds(user, e.cap)]
        if any(e.congress for e in entries) and not terms_for_user(user).has_congress:
            entries = [e for e in entries if not e.congress]
        if entries:
            shown.append((group, entries))
    return shown


def menu_for(user, path: str = "") -> list[Shown]:
    """The menu as the page renders it: labels and addresses, the page's own entry marked (the longest
    address the path lies under: /duty/review/3/ is 履职审核's, not 我的履职's /duty/)."""
    shown = [(group, [(e, reverse(e.url_name)) for e in entries]) for group, entries in entries_for(user)]
    urls = [url for _group, pairs in shown for _e, url in pairs if _under(path, url)]
    current = max(urls, key=len) if urls else None
    return [
        Shown(group.label, tuple(Link(e.label, url, url == current) for e, url in pairs))
        for group, pairs in shown
    ]


def _under(path: str, url: str) -> bool:
    return path == url or (url != "/" and url.endswith("/") and path.startswith(url))
