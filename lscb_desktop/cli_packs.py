"""The pack as it is sent: ``export pack --issue``, ``export supplement [--issue]``, ``export email
[--supplement]`` and ``list packs --meeting ID``, over the same services as the window."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lscb_desktop.cli_attendance import EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_table
from lscb_desktop.services.progress import Progress
from lscb_desktop.store import Database

if TYPE_CHECKING:
    from lscb_desktop.services.packs import PackState

Opener = Callable[[argparse.Namespace], Database]


def drain(steps: Iterator[Progress]) -> str:
    """Runs a build, showing its progress on a terminal; its last message."""
    last = ""
    for step in steps:
        last = step.message
        if sys.stderr.isatty():
            print(f"\r{step.message[:70]:<70}", end="", file=sys.stderr)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return last


def _convertible(database: Database, meeting_id: int, names: set[str] | None) -> None:
    """Refuses to issue Word or Excel papers that LibreOffice is not here to convert: members
    would be sent a page naming each, while the record said the paper went."""
    from lscb_desktop.services.exports import papers_to_print_separately  # noqa: PLC0415

    missing = [
        name
        for name in papers_to_print_separately(database, meeting_id)
        if names is None or name in names
    ]
    if missing:
        raise ValueError(
            f"LibreOffice is not installed here, so {', '.join(missing)} cannot be put in what "
            "is issued (only a page naming it would be): attach it as a PDF, or issue from a "
            "computer with LibreOffice. Nothing was issued."
        )


def pack(database: Database, meeting_id: int, path: Path, issue: bool) -> str:
    from lscb_desktop.services.packs import iter_pack_issue  # noqa: PLC0415

    if issue:
        _convertible(database, meeting_id, None)
    done = drain(iter_pack_issue(database, meeting_id, path, issue=issue))
    return f"Wrote {path}" + (f". {done}." if issue else "")


def supplement(database: Database, meeting_id: int, path: Path, issue: bool) -> str:
    from lscb_desktop.services.packs import iter_supplement_issue, pack_state  # noqa: PLC0415

    if issue:
        changes = pack_state(database, meeting_id).to_send
        _convertible(database, meeting_id, {change.filename for change in changes})
    done = drain(iter_supplement_issue(database, meeting_id, path, issue=issue))
    if issue:
        return f"Wrote {path}. {done}."
    return f"Wrote {path} (not issued: add --issue to record it as sent)"


def email(database: Database, meeting_id: int, path: Path, of_supplement: bool) -> str:
    """Makes the pack (or the last supplement issued) in the private temporary folder, then the
    draft e-mail carrying it."""
    from lscb_desktop.privacy import private_folder, write_private_bytes  # noqa: PLC0415
    from lscb_desktop.services import exports, packs  # noqa: PLC0415
    from lscb_desktop.services.documents import meeting_head  # noqa: PLC0415
    from lscb_desktop.services.pack_email import pack_email, supplement_email  # noqa: PLC0415

    if path.suffix.lower() != ".eml":
        raise ValueError(f"{path.name}: the draft e-mail is an .eml file; name it .eml")
    folder = private_folder("pack-")
    try:
        head, _marking = meeting_head(database, meeting_id)
        day = f"{head.group} {head.starts_at:%Y-%m-%d}"
        state = packs.pack_state(database, meeting_id)
        if of_supplement:
            issue = packs.last_supplement(state)
            made = folder / f"Supplement {issue.supplement} {day}.pdf"
            drain(packs.iter_supplement_again(database, meeting_id, made))
            lines = packs.issued_lines(state, issue)
            mail = supplement_email(database, meeting_id, made, issue.supplement, lines)
        else:
            refusal = state.pack_email_refusal()
            if refusal:
                raise ValueError(
                    f"{refusal} (lscb-desktop export supplement {meeting_id} OUT.pdf --issue, "
                    f"or export pack {meeting_id} OUT.pdf --issue)"
                )
            made = folder / f"Agenda pack {day}.pdf"
            drain(exports.iter_export_pack(database, meeting_id, made))
            mail = pack_email(database, meeting_id, made)
        write_private_bytes(path, mail.message.as_bytes())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return mail.after(f"Wrote {path}")


def _rows(state: PackState) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for issue in state.issues:
        rows.append(
            {
                "sequence": issue.sequence,
                "version": f"supplement {issue.supplement}" if issue.supplement else "pack",
                "issued_at": issue.issued_at.isoformat(sep=" "),
                "issued_by": issue.issued_by,
                "pages": issue.pages,
                "file": issue.filename,
                "sha256": issue.sha256,
                "papers": [
                    {
                        "item": paper.number,
                        "title": paper.title,
                        "file": paper.filename,
                        "sha256": paper.sha256,
                        "first_page": paper.first_page,
                        "pages": paper.pages,
                        "withdrawn": paper.withdrawn,
                    }
                    for paper in issue.papers
                ],
            }
        )
    return rows


def list_packs(args: argparse.Namespace, open_database: Opener) -> int:
    """``list packs --meeting ID``: every version issued, and what is new since."""
    from lscb_desktop.services.packs import pack_state  # noqa: PLC0415
    from lscb_desktop.store.versions import RecordGone  # noqa: PLC0415

    if args.meeting is None:
        print("lscb-desktop: list packs needs --meeting ID", file=sys.stderr)
        return EXIT_USAGE
    database = open_database(args)
    try:
        state = pack_state(database, args.meeting)
    except (LookupError, RecordGone):
        print(
            f"lscb-desktop: there is no meeting {args.meeting}; see `lscb-desktop list meetings`",
            file=sys.stderr,
        )
        return EXIT_FAILED
    finally:
        database.dispose()
    rows = _rows(state)
    changes = [
        {"item": c.number, "title": c.title, "file": c.filename, "change": c.change.value}
        for c in state.changes
    ]
    if args.json:
        print(json.dumps({"issued": rows, "new_since": changes}, indent=2, ensure_ascii=False))
        return EXIT_OK
    table = [
        {**row, "papers": issue.sent_papers} for row, issue in zip(rows, state.issues, strict=True)
    ]
    print_table(table, ("sequence", "version", "issued_at", "issued_by", "pages", "papers", "file"))
    print(state.in_words())
    return EXIT_OK
