"""What other apps add to a meeting's papers and screens without meetings importing them (the layers keep
meetings below the apps built on it): a section of the minutes (会议记录) and a block of the hall screen
(会场大屏) with a link for the chair's screen. An app registers its providers in its AppConfig.ready
(apps/evaluations registers the vice-mayors' rating result, issue 18 part 6).

A minutes section is `(heading, [lines])`; a screen block is `{"html": safe HTML rendered server-side,
"link": (label, url) or None}`. A provider returns nothing for a meeting it has nothing to say about."""

from __future__ import annotations

from collections.abc import Callable

_minutes: list[Callable] = []
_screens: list[Callable] = []


def register_minutes_section(provider: Callable) -> None:
    """`provider(meeting)` gives a list of `(heading, [lines])`."""
    if provider not in _minutes:
        _minutes.append(provider)


def register_screen_block(provider: Callable) -> None:
    """`provider(request, meeting)` gives a list of `{"html": ..., "link": (label, url) | None}`."""
    if provider not in _screens:
        _screens.append(provider)


def minutes_sections(meeting) -> list[tuple[str, list[str]]]:
    return [section for provider in _minutes for section in provider(meeting)]


def screen_blocks(request, meeting) -> list[dict]:
    return [block for provider in _screens for block in provider(request, meeting)]
