"""Notes on contacts and deals."""

from datetime import datetime

from .clock import ANCHOR
from .context import Person, Seeding
from .vocabulary import CONTACT_NOTES


def add_note(seeding: Seeding, relid: int, reltype: str, text: str, after: datetime) -> None:
    written = seeding.clock.between(after, ANCHOR)
    author = seeding.rng.choice(seeding.user_ids)
    data = {
        "relid": str(relid),
        "reltype": reltype,
        "userid": str(author),
        "is_draft": "0",
        "cdate": seeding.clock.iso(written),
        "mdate": seeding.clock.iso(written),
        "note": text,
        "user": str(author),
    }
    seeding.w.add("note", data, parent=relid)


def add_contact_notes(seeding: Seeding, people: list[Person]) -> None:
    for contact_id, person in enumerate(people, start=1):
        if seeding.rng.random() < 0.12:
            add_note(
                seeding, contact_id, "Subscriber", seeding.rng.choice(CONTACT_NOTES), person.cdate
            )
