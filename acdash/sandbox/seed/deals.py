"""Pipelines with their stages and members, and deals with their custom field data,
secondary contacts, notes and tasks."""

from collections import defaultdict
from datetime import timedelta

from .clock import ANCHOR
from .context import Person, Seeding
from .custom_fields import DEAL_FIELDS, add_custom_field_data, add_custom_field_meta
from .notes import add_note
from .tasks import add_deal_tasks
from .vocabulary import DEAL_NOTES, PIPELINES, PRODUCTS, STAGE_COLORS


def add_pipelines(seeding: Seeding) -> None:
    seeding.pipeline_ids = []
    seeding.stages = []
    seeding.deal_owners = []
    for title, _, stage_titles, members in PIPELINES:
        created = seeding.clock.days_ago(1200, 1000)
        stamp = seeding.clock.iso(created)
        everyone = "0" if members else "1"
        data = {
            "allgroups": everyone,
            "allusers": everyone,
            "autoassign": "1",
            "cdate": stamp,
            "currency": "usd",
            "title": title,
            "udate": stamp,
        }
        group_id = seeding.w.add("dealGroup", data)
        seeding.pipeline_ids.append(group_id)
        allowed = [str(seeding.user_ids[i]) for i in members] if members else seeding.reps
        for user in allowed if members else []:
            member = {"dealGroup": str(group_id), "user": user, "cdate": None}
            seeding.w.add("dealGroupUser", member, parent=group_id, key=user)
        seeding.deal_owners.append([u for u in allowed if u in seeding.reps])
        stage_ids = []
        for order, stage_title in enumerate(stage_titles, start=1):
            stage = {
                "cardRegion1": "title",
                "cardRegion2": "next-action",
                "cardRegion3": "show-avatar",
                "cardRegion4": "contact-fullname-orgname",
                "cardRegion5": "value",
                "cdate": stamp,
                "color": STAGE_COLORS[(order - 1) % len(STAGE_COLORS)],
                "dealOrder": "next-action DESC",
                "group": str(group_id),
                "order": str(order),
                "title": stage_title,
                "udate": stamp,
                "width": "280",
            }
            stage_ids.append(seeding.w.add("dealStage", stage, parent=group_id))
        seeding.stages.append(stage_ids)


def add_deals(
    seeding: Seeding, people: list[Person], orgs: list[tuple[int, str, str]], count: int
) -> None:
    rng, clock = seeding.rng, seeding.clock
    fields = add_custom_field_meta(seeding, "dealCustomFieldMeta", DEAL_FIELDS)
    org_names = {org_id: name for org_id, name, _ in orgs}
    members: dict[int, list[int]] = defaultdict(list)
    for contact_id, person in enumerate(people, start=1):
        if person.org:
            members[person.org].append(contact_id)
    pipeline_weights = [share for _, share, _, _ in PIPELINES]
    for _ in range(count):
        deal_id = seeding.w.peek("deal")
        contact_id = rng.randint(1, len(people))
        person = people[contact_id - 1]
        pipeline = rng.choices(range(len(PIPELINES)), pipeline_weights)[0]
        stages = seeding.stages[pipeline]
        status = rng.choices(["0", "1", "2"], [0.6, 0.25, 0.15])[0]
        if status == "1":
            stage = stages[-1]
        else:
            stage = rng.choices(stages, [len(stages) - i for i in range(len(stages))])[0]
        created = clock.between(max(person.cdate, ANCHOR - timedelta(days=540)), ANCHOR)
        modified = clock.between(created, ANCHOR)
        owner = rng.choice(seeding.deal_owners[pipeline])
        org = str(person.org) if person.org else None
        subject = org_names[person.org] if person.org else f"{person.first} {person.last}"
        next_task = add_deal_tasks(seeding, deal_id, status, owner, created)
        probability = rng.randint(5, 95) if status == "0" and rng.random() < 0.6 else None
        # edate: when a closed deal closed, or when an open one is expected to.
        if status == "0":
            closing = clock.between(ANCHOR, ANCHOR + timedelta(days=120))
        else:
            closing = clock.between(modified, ANCHOR)
        data = {
            "owner": owner,
            "contact": str(contact_id),
            "organization": org,
            "group": str(seeding.pipeline_ids[pipeline]),
            "stage": str(stage),
            "title": f"{subject} – {rng.choice(PRODUCTS)}",
            "description": rng.choice(["", "", rng.choice(DEAL_NOTES)]),
            "percent": "0",
            "cdate": clock.iso(created),
            "mdate": clock.iso(modified),
            "nextdate": next_task[1] if next_task else None,
            # "0" when there is none, as deals side-loaded by GET /contacts/{id} show.
            "nexttaskid": str(next_task[0]) if next_task else "0",
            "value": str(rng.randrange(50_000, 15_000_000, 100)),
            "currency": "usd",
            "winProbability": probability,
            "winProbabilityMdate": clock.iso(modified) if probability is not None else None,
            "status": status,
            "activitycount": str(rng.randint(1, 40)),
            "nextdealid": str(deal_id),
            "edate": clock.plain(closing),
            "hash": f"{rng.getrandbits(32):08x}",
            "isDisabled": False,
            "account": org,
            "customerAccount": org,
        }
        seeding.w.add("deal", data, parent=contact_id)  # gets deal_id, peeked above
        add_custom_field_data(seeding, "deal", deal_id, fields, created, modified)
        colleagues = [c for c in members.get(person.org or 0, []) if c != contact_id]
        if colleagues and rng.random() < 0.3:
            other = rng.choice(colleagues)
            stamp = clock.between(created, ANCHOR)
            link = {
                "deal": str(deal_id),
                "contact": str(other),
                "role": None,
                "cdate": clock.iso(stamp),
                "created_timestamp": clock.plain(stamp),
                "updated_timestamp": clock.plain(stamp),
                "created_by": None,
                "updated_by": None,
            }
            seeding.w.add("contactDeal", link, parent=deal_id, key=str(other))
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            add_note(seeding, deal_id, "Deal", rng.choice(DEAL_NOTES), created)
