"""The membership agreement in the Board's own words: templates kept in the settings.

The defaults are the welcome pack's agreement word for word, with the Board's own names put in
where the pack says "Luton" and "LSCB": ``{area}``, ``{short_name}``, ``{name}``, and the
administrator the form is returned to. Nothing is added to what the Board wrote.
"""

from __future__ import annotations

import string

__all__ = [
    "DEFAULT_RESPONSIBILITIES",
    "DEFAULT_RETURN",
    "DEFAULT_TITLE",
    "FORMER_RESPONSIBILITIES",
    "PLACEHOLDERS",
    "fill",
    "template_problem",
]

#: What each placeholder stands for, as the settings dialog explains it.
PLACEHOLDERS = {
    "name": "the organisation's name",
    "short_name": "its short name (LSCB)",
    "area": "the area it serves (Luton)",
    "board": "Board or Partnership",
    "administrator": "the administrator's name",
    "administrator_email": "the administrator's email",
    "administrator_phone": "the administrator's phone",
    "address": "the organisation's address, on one line",
}

DEFAULT_TITLE = "{short_name} Membership Agreement"

DEFAULT_RETURN = "\n".join(
    [
        "Once Completed please forward electronically/clerically to {administrator} - "
        "{short_name} Administrator",
        "Email: {administrator_email} Tel: {administrator_phone}",
        "Address: {address}",
    ]
)

DEFAULT_RESPONSIBILITIES = "\n".join(
    [
        "Recommending or deciding upon the necessary steps to put right any problems.",
        "To ensure the Board functions well, and drives forward its business plan.",
        "To play a part in raising awareness in safeguarding within their agency and within "
        "the wider {area} community.",
        "To ensure that the outcomes for children improve in the areas of physical and mental "
        "health, protection from harm and neglect.",
        "To communicate effectively within their agency, between their agency and the "
        "{short_name} and ensure that communication is effective within the {short_name}.",
        "To ensure that safeguarding is satisfactory in their own organisation and that there "
        "are adequate knowledge and skills and appropriate training for staff.",
        "To challenge and question the practice of a member and/or their organisation for the "
        "improvement of safeguarding.",
    ]
)

#: The responsibilities as an earlier release reworded them and saved them as every database's
#: setting; read as the default, since they were the program's words, never a Board's.
FORMER_RESPONSIBILITIES = "\n".join(
    [
        "Recommending or deciding upon the necessary steps to put right any problems.",
        "To ensure the Board functions well, and drives forward its business plan.",
        "To play a part in raising awareness in safeguarding within their agency and within "
        "the wider community.",
        "To ensure that the outcomes for children improve in the areas of physical and mental "
        "health, protection from harm and neglect.",
        "To communicate effectively within their agency, between their agency and the Board "
        "and ensure that communication is effective within the Board.",
        "To ensure that safeguarding is satisfactory in their own organisation and that there "
        "are adequate knowledge and skills and appropriate training for staff.",
        "To challenge and question the practice of a member and/or their organisation for the "
        "improvement of safeguarding.",
    ]
)


def template_problem(text: str) -> str | None:
    """Why ``text`` cannot be filled in ("{chair} is not a name the agreement can fill in…"),
    or None. Braces are written doubled ({{ and }}) for a brace itself."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        return f"A brace is not closed ({exc}); write {{{{ or }}}} for a brace itself."
    known = ", ".join(f"{{{key}}}" for key in PLACEHOLDERS)
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            shown = "{" + field + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            return f"{shown} is not a name the agreement can fill in; use {known}."
    return None


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each placeholder replaced; a value left empty in the settings stays as a
    gap to write in by hand rather than as a placeholder. A template that cannot be filled in
    (a damaged setting) is given as it stands."""
    if template_problem(text) is not None:
        return text
    return text.format_map({key: values.get(key, "") or "________" for key in PLACEHOLDERS})
