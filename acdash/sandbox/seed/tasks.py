"""Task types with their outcomes, and deal tasks."""

from datetime import datetime, timedelta

from .context import Seeding
from .vocabulary import OUTCOMES, TASK_NOTES, TASK_TYPES, TASKTYPE_OUTCOMES


def add_task_types(seeding: Seeding) -> None:
    stamp = seeding.clock.iso(seeding.clock.days_ago(1200, 1000))
    seeding.tasktype_ids = [
        seeding.w.add(
            "dealTasktype",
            {"cdate": stamp, "defduration": "0", "status": "0", "title": title, "udate": stamp},
        )
        for title in TASK_TYPES
    ]
    seeding.outcome_ids = [
        seeding.w.add(
            "taskOutcome",
            {
                "title": title,
                "sentiment": sentiment,
                "disabled": disabled,
                "created_by": "1",
                "updated_by": "1",
                "created_utc_timestamp": stamp,
                "updated_utc_timestamp": stamp,
            },
        )
        for title, sentiment, disabled in OUTCOMES
    ]
    moment = seeding.clock.days_ago(900, 800)
    for type_index, outcome_indexes in TASKTYPE_OUTCOMES.items():
        for position, outcome_index in enumerate(outcome_indexes):
            tasktype = str(seeding.tasktype_ids[type_index])
            outcome = str(seeding.outcome_ids[outcome_index])
            data = {
                "tasktype_id": tasktype,
                "outcome_id": outcome,
                "display_order": str(position),
                "created_by": "0",
                "created_utc_timestamp": seeding.clock.iso(moment),
                "updated_by": None,
                "updated_utc_timestamp": seeding.clock.plain(moment),
                "tasktype": tasktype,
                "outcome": outcome,
                "createdBy": "1",
            }
            rel_parent = seeding.tasktype_ids[type_index]
            seeding.w.add("tasktypeOutcomeRel", data, parent=rel_parent, key=outcome)


def add_deal_tasks(
    seeding: Seeding, deal_id: int, status: str, owner: str, deal_created: datetime
) -> tuple[int, str] | None:
    """The deal's tasks; returns the id and due date of its next open task, if any."""
    rng, clock = seeding.rng, seeding.clock
    start_of_today = clock.local(seeding.today, 0)
    planned = []
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        # Only open deals have open tasks; open ones fall from 10 days ago to 3 weeks out.
        if status == "0" and rng.random() < 0.6:
            planned.append((False, rng.randint(-10, 21)))
        else:
            planned.append((True, rng.randint(-60, -1)))
    next_task: tuple[int, datetime] | None = None
    for done, offset in planned:
        due = clock.local(seeding.today + timedelta(days=offset), rng.choice([9, 10, 11, 14, 16]))
        created = min(max(deal_created, due - timedelta(days=rng.randint(1, 14))), start_of_today)
        type_index = rng.randrange(len(TASK_TYPES))
        outcome_id = outcome_info = finished = None
        if done:
            finished = min(due + timedelta(minutes=rng.randint(0, 36 * 60)), start_of_today)
            # Only enabled outcomes can be recorded (the API refuses disabled ones).
            options = [o for o in TASKTYPE_OUTCOMES.get(type_index, []) if OUTCOMES[o][2] == "0"]
            if options and rng.random() < 0.8:
                outcome_id = seeding.outcome_ids[rng.choice(options)]
                outcome_info = rng.choice([None, "Spoke with the decision maker."])
        data = {
            "relid": str(deal_id),
            "reltype": "Deal",
            "dealTasktype": str(seeding.tasktype_ids[type_index]),
            "user": owner,
            "assignee": owner if rng.random() < 0.8 else rng.choice(seeding.reps),
            "automation": None,
            "cdate": clock.iso(created),
            "duedate": clock.iso(due),
            "edate": clock.iso(due + timedelta(minutes=15)),
            "duration": "0",
            "status": "1" if done else "0",
            "title": rng.choice(["", TASK_TYPES[type_index]]),
            "note": rng.choice(TASK_NOTES),
            "donedate": clock.iso(finished) if finished else None,
            "doneAutomation": None,
            "udate": clock.iso(finished or created),
            "outcomeId": outcome_id,
            "outcomeInfo": outcome_info,
        }
        task_id = seeding.w.add("dealTask", data, parent=deal_id)
        if not done and (next_task is None or due < next_task[1]):
            next_task = (task_id, due)
    return (next_task[0], clock.iso(next_task[1])) if next_task else None
