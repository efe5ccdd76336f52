"""The membership agreement is the Board's own document: by default the welcome pack's wording
word for word, with the Board's names put in, and nothing added."""

from __future__ import annotations

import dataclasses
import re

import pytest
from pypdf import PdfReader

from lscb_desktop.models import Setting
from lscb_desktop.services.agreement_words import FORMER_RESPONSIBILITIES, template_problem
from lscb_desktop.services.exports import export_agreements
from lscb_desktop.services.members import board_group_id, group_members
from lscb_desktop.services.settings import load_settings, save_settings

#: The welcome pack's "LSCB Membership Agreement" (the seeds' welcome pack, page 18), as
#: written there but for the address, which is the one in the settings.
WELCOME_PACK = [
    "LSCB Membership Agreement",
    "Once Completed please forward electronically/clerically to Marie Lowe - LSCB Administrator",
    "Email: marie.lowe@luton.gcsx.gov.uk Tel: 01582 547624",
    "Name:",
    "Agency/Organisation:",
    "Job Title:",
    "Responsibilities:",
    "Recommending or deciding upon the necessary steps to put right any problems.",
    "To ensure the Board functions well, and drives forward its business plan.",
    "To play a part in raising awareness in safeguarding within their agency and within the "
    "wider Luton community.",
    "To ensure that the outcomes for children improve in the areas of physical and mental "
    "health, protection from harm and neglect.",
    "To communicate effectively within their agency, between their agency and the LSCB and "
    "ensure that communication is effective within the LSCB.",
    "To ensure that safeguarding is satisfactory in their own organisation and that there are "
    "adequate knowledge and skills and appropriate training for staff.",
    "To challenge and question the practice of a member and/or their organisation for the "
    "improvement of safeguarding.",
    "Signature:",
]


def _agreement_text(database, tmp_path) -> str:
    person = group_members(database, board_group_id(database) or 0)[0].person_id
    target = export_agreements(database, tmp_path / "agreement.pdf", person_id=person)
    text = PdfReader(target).pages[0].extract_text()
    return re.sub(r"\s+", " ", text.replace("•", " "))


def test_the_agreement_is_the_welcome_packs_word_for_word(sample_db, tmp_path):
    text = _agreement_text(sample_db, tmp_path)
    for line in WELCOME_PACK:
        assert line in text
    # Nothing the Board did not write: no undertaking, date line or role of the program's own.
    for added in ("I agree", "confidential", "Date:", "Role", "wider community", "the Board and"):
        assert added not in text


def test_another_board_gets_its_own_names_and_administrator(sample_db, tmp_path):
    settings = load_settings(sample_db)
    save_settings(
        sample_db,
        dataclasses.replace(
            settings,
            organisation_name="Bedford Borough Safeguarding Children Partnership",
            organisation_short_name="BBSCP",
            term_board="Partnership",
            area="Bedford",
            administrator_name="Sam Patel",
            administrator_email="sam.patel@bedford.gov.uk",
            administrator_phone="01234 567890",
        ),
    )
    text = _agreement_text(sample_db, tmp_path)
    assert "BBSCP Membership Agreement" in text
    assert "forward electronically/clerically to Sam Patel - BBSCP Administrator" in text
    assert "Email: sam.patel@bedford.gov.uk Tel: 01234 567890" in text
    assert "within the wider Bedford community" in text
    assert "between their agency and the BBSCP and ensure that communication is effective " in text
    assert "Luton" not in text.replace("Luton LU1", "").replace("Luton, LU1", "")


def test_the_former_reworded_default_saved_in_a_database_reads_as_the_welcome_packs(
    sample_db, tmp_path
):
    with sample_db.session() as session:
        row = session.get(Setting, "agreement_text")
        assert row is not None
        row.value = FORMER_RESPONSIBILITIES
    assert "wider Luton community" in _agreement_text(sample_db, tmp_path)


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("To support {chair}", "{chair} is not a name the agreement can fill in"),
        ("The {short_name!r}", "{short_name!r} is not a name"),
        ("An open { brace", "A brace is not closed"),
    ],
)
def test_a_template_it_cannot_fill_in_is_refused(template, problem):
    found = template_problem(template)
    assert found is not None and found.startswith(problem)
    assert "{short_name}" in found or "brace" in found


def test_a_template_with_doubled_braces_is_accepted():
    assert template_problem("Write {{ and }} for braces; {short_name}") is None
