"""Demo marketing data: automations with contacts in them, campaigns with their messages,
links and send/open/click figures, webhooks."""

from ..engine import new_data
from ..resources.automations import AUTOMATIONS, CONTACT_AUTOMATIONS
from ..resources.campaigns import CAMPAIGNS, EMAIL_ACTIVITIES, LINKS, MESSAGES
from ..resources.webhooks import WEBHOOKS
from .context import Person, Seeding

AUTOMATION_NAMES = ["Welcome series", "Abandoned cart", "Re-engagement", "Webinar follow-up"]
CAMPAIGN_NAMES = [
    "January newsletter",
    "Spring sale",
    "Product launch",
    "Customer survey",
    "Holiday greetings",
    "Webinar invitation",
]


def add_marketing(seeding: Seeding, people: list[Person]) -> None:
    _automations(seeding, people)
    _campaigns(seeding, len(people))
    _webhooks(seeding)


def _automations(seeding: Seeding, people: list[Person]) -> None:
    rng, clock, account = seeding.rng, seeding.clock, seeding.account
    counts = {name: [0, 0] for name in AUTOMATION_NAMES}  # entered, exited
    rows = []
    for contact_id, _ in enumerate(people, start=1):
        if rng.random() < 0.35:
            name = rng.choice(AUTOMATION_NAMES)
            done = rng.random() < 0.5
            added = clock.days_ago(200)
            finished = clock.between(added, clock.days_ago(0)) if done else None
            counts[name][0] += 1
            counts[name][1] += done
            rows.append((contact_id, name, done, added, finished))
    for number, name in enumerate(AUTOMATION_NAMES, start=1):
        created = clock.days_ago(400, 250)
        entered, exited = counts[name]
        data = new_data(account, AUTOMATIONS, created, name=name, status="1" if number < 4 else "2")
        seeding.w.add("automation", {**data, "entered": str(entered), "exited": str(exited)})
    for contact_id, name, done, added, finished in rows:
        stamp = clock.iso(finished or added)
        data = new_data(
            account,
            CONTACT_AUTOMATIONS,
            added,
            contact=str(contact_id),
            seriesid=str(AUTOMATION_NAMES.index(name) + 1),
            status="2" if done else "1",
            batchid="completed" if done else "",
            remdate=stamp if done else None,
            lastdate=stamp,
            completed=int(done),
            completeValue=100 if done else rng.choice([25, 50, 75]),
        )
        seeding.w.add("contactAutomation", data)


def _campaigns(seeding: Seeding, audience: int) -> None:
    rng, clock, account = seeding.rng, seeding.clock, seeding.account
    for number, name in enumerate(CAMPAIGN_NAMES, start=1):
        sent_at = clock.days_ago(180 - 28 * number, 170 - 28 * number)
        sent = max(1, int(audience * rng.uniform(0.6, 0.95)))
        opens = int(sent * rng.uniform(0.18, 0.45))
        clicks = int(opens * rng.uniform(0.1, 0.35))
        message = new_data(
            account,
            MESSAGES,
            sent_at,
            name=name,
            subject=f"{name} from {account.name}",
            fromname=account.name,
            fromemail=f"news@{seeding.domain}",
            reply2=f"hello@{seeding.domain}",
            text=f"{name}: the news from {account.name}.",
            html=f"<p>{name}: the news from {account.name}.</p>",
        )
        message_id = seeding.w.add("message", message)
        figures = {
            "send_amt": str(sent),
            "total_amt": str(sent),
            "opens": str(int(opens * 1.4)),
            "uniqueopens": str(opens),
            "linkclicks": str(int(clicks * 1.3)),
            "uniquelinkclicks": str(clicks),
            "subscriberclicks": str(clicks),
            "hardbounces": str(rng.randint(0, max(1, sent // 50))),
            "unsubscribes": str(rng.randint(0, max(1, sent // 80))),
        }
        stamp = clock.iso(sent_at)
        campaign = new_data(
            account, CAMPAIGNS, sent_at, name=name, status="5", sdate=stamp, ldate=stamp, **figures
        )
        campaign_id = seeding.w.add("campaign", campaign)
        for contact_id in rng.sample(range(1, audience + 1), min(audience, 3)):
            activity = new_data(
                account,
                EMAIL_ACTIVITIES,
                sent_at,
                subscriberid=str(contact_id),
                relid=str(campaign_id),
                reltype="Campaign",
                subject=message["subject"],
                fromAddress=message["fromemail"],
                from_name=account.name,
                message=message["text"],
                messageHtml=message["html"],
            )
            seeding.w.add("emailActivity", activity)
        for link, title in (("open", "Read Tracker"), (f"https://{seeding.domain}/offer", name)):
            data = new_data(
                account,
                LINKS,
                sent_at,
                campaignid=str(campaign_id),
                messageid=str(message_id),
                link=link,
                name=title,
            )
            seeding.w.add("link", data)


def _webhooks(seeding: Seeding) -> None:
    hooks = [
        ("CRM sync", ["subscribe", "unsubscribe", "update"], ["public", "admin", "api"]),
        ("Deal alerts", ["deal_add", "deal_update"], ["admin", "system"]),
    ]
    for name, events, sources in hooks:
        slug = name.lower().replace(" ", "-")
        data = new_data(
            seeding.account,
            WEBHOOKS,
            seeding.clock.days_ago(300, 100),
            name=name,
            url=f"https://hooks.{seeding.domain}/{slug}",
            events=events,
            sources=sources,
        )
        seeding.w.add("webhook", data)
