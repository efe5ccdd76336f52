"""The fixed vocabularies of the records, each value stored as lower-case text."""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A StrEnum whose members have a human label and can be parsed from either form."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " ").capitalize())

    @classmethod
    def parse(cls, text: str) -> Labelled:
        """The member whose value or label matches ``text`` (case and spacing ignored)."""
        wanted = " ".join(str(text).replace("_", " ").replace("-", " ").split()).casefold()
        for member in cls:
            if wanted in {member.value.replace("_", " "), member.label.casefold()}:
                return member
        choices = ", ".join(m.label for m in cls)
        raise ValueError(f"“{text}” is not one of: {choices}")


_LABELS: dict[str, str] = {
    "eight_weekly": "Eight-weekly",
    "six_weekly": "Six-weekly",
    "as_required": "As required",
    "task_and_finish": "Task and finish",
    "pan_area": "Pan-area",
    "in_progress": "In progress",
    "local_cspr": "Local child safeguarding practice review",
    "scr": "Serious case review",
    "rapid_review_only": "Rapid review only",
    "thematic": "Thematic review",
    "other_learning": "Other learning review",
    "local_review": "Local review",
    "other_review": "Other review",
    "no_review": "No review",
    "left_room": "Left the room",
    "took_no_part": "Took no part",
    "stayed": "Stayed and took part",
}


class GroupKind(Labelled):
    BOARD = "board"
    EXECUTIVE = "executive"
    SUBGROUP = "subgroup"
    PAN_AREA = "pan_area"
    TASK_AND_FINISH = "task_and_finish"


class Frequency(Labelled):
    MONTHLY = "monthly"
    SIX_WEEKLY = "six_weekly"
    EIGHT_WEEKLY = "eight_weekly"
    QUARTERLY = "quarterly"
    TERMLY = "termly"
    ANNUALLY = "annually"
    AS_REQUIRED = "as_required"


class Role(Labelled):
    CHAIR = "chair"
    DEPUTY_CHAIR = "deputy_chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    ADVISER = "adviser"
    BUSINESS_MANAGER = "business_manager"
    ADMINISTRATOR = "administrator"
    LAY_MEMBER = "lay_member"
    YOUNG_PERSON = "young_person"


class MeetingKind(Labelled):
    ORDINARY = "ordinary"
    EXTRAORDINARY = "extraordinary"


class MeetingStatus(Labelled):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class Purpose(Labelled):
    DECISION = "decision"
    DISCUSSION = "discussion"
    INFORMATION = "information"
    ASSURANCE = "assurance"


class AttendanceStatus(Labelled):
    PRESENT = "present"
    APOLOGIES = "apologies"
    SUBSTITUTE = "substitute"
    ABSENT = "absent"


class DeclarationAction(Labelled):
    """What a member who declared an interest did for the item (or the meeting)."""

    LEFT_ROOM = "left_room"
    TOOK_NO_PART = "took_no_part"
    STAYED = "stayed"

    @property
    def excludes(self) -> bool:
        """Whether the member is left out of the item's quorum."""
        return self is not DeclarationAction.STAYED


class ActionStatus(Labelled):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class AuditStatus(Labelled):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    CLOSED = "closed"


class ReviewType(Labelled):
    SCR = "scr"
    RAPID_REVIEW_ONLY = "rapid_review_only"
    LOCAL_CSPR = "local_cspr"
    THEMATIC = "thematic"
    OTHER_LEARNING = "other_learning"


class ReviewDecision(Labelled):
    LOCAL_REVIEW = "local_review"
    OTHER_REVIEW = "other_review"
    NO_REVIEW = "no_review"
