"""The progress page: a live fragment that polls while the job runs and stops once it ends,
the counts and failures a person reads there, the jobs lists, and the result file."""

import csv
import io
import re

from django.test import Client

from acdash.jobs.models import Job
from acdash.sandbox.models import SandboxRecord

from .conftest import CITY, city_of, connect, contact_ids, start, work

HTMX = {"HX-Request": "true"}


def field_id(title: str) -> int:
    fields = SandboxRecord.objects.filter(account__slug="jobs", kind="field")
    return next(f.rid for f in fields if f.data.get("title") == title)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def progressbar(html: str) -> dict[str, str]:
    tag = re.search(r'<div class="progress" role="progressbar"[^>]*>', html).group(0)
    return dict(re.findall(r'(aria-value\w+)="([^"]*)"', tag))


def test_the_fragment_polls_while_the_job_waits_and_stops_polling_when_it_is_done(account, users):
    job = start(account, users["editor"], contact_ids(5), {CITY: "Quito"})
    editor = logged_in(users["editor"])
    waiting = editor.get(job.get_absolute_url(), headers=HTMX).content.decode().strip()
    assert waiting.startswith('<section id="job-progress"')
    assert 'hx-trigger="every 1s"' in waiting and "Waiting for the worker" in waiting
    assert progressbar(waiting)["aria-valuenow"] == "0"
    assert "Cancel job" in waiting
    work()
    done = editor.get(job.get_absolute_url(), headers=HTMX).content.decode()
    assert "hx-trigger" not in done and "Finished" in done
    assert progressbar(done) == {
        "aria-valuemin": "0",
        "aria-valuemax": "100",
        "aria-valuenow": "100",
        "aria-valuetext": "100%: 5 of 5 records",
    }
    assert 'data-count="done">5<' in done and "Cancel job" not in done
    page = editor.get(job.get_absolute_url()).content.decode()
    assert "<h1>Set City</h1>" in page and 'aria-current="page">Jobs<' in page


def test_failures_are_listed_with_the_api_reason(account, users):
    industry = field_id("Industry")
    job = start(account, users["editor"], contact_ids(3), {f"field:{industry}": "Alchemy"})
    work()
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == ("done", 0, 3)
    html = logged_in(users["editor"]).get(job.get_absolute_url()).content.decode()
    assert html.count("“Alchemy” is not an option of “Industry”") == 3
    assert 'data-count="failed">3<' in html and "Retry 3 failed" in html


def test_the_result_file_has_every_item_with_its_outcome_reason_before_and_after(
    account, ac, users
):
    ids = contact_ids(6)
    held = city_of(ac, ids)
    kept = ids[2]
    job = start(account, users["editor"], ids, {CITY: held[kept]})
    work()
    response = logged_in(users["viewer"]).get(f"/a/jobs/jobs/{job.pk}/results.csv")
    assert response["Content-Disposition"] == f'attachment; filename="job-{job.pk}-results.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["id"] for r in rows] == ids
    assert list(rows[0]) == ["id", "label", "outcome", "reason", "before", "after"]
    by_id = {r["id"]: r for r in rows}
    same = [i for i in ids if held[i] == held[kept]]
    for object_id in ids:
        row = by_id[object_id]
        assert "@" in row["label"]  # the contact's email
        if object_id in same:
            assert (row["outcome"], row["after"]) == ("skipped", "")
            assert row["reason"].startswith("already “City” =")
        else:
            assert (row["outcome"], row["reason"]) == ("done", "")
            assert row["before"] == f'{{"{CITY}": "{held[object_id]}"}}'
            assert row["after"] == f'{{"{CITY}": "{held[kept]}"}}'


def test_the_jobs_lists_show_newest_first_and_only_accounts_the_user_may_see(
    account, users, live_server
):
    first = start(account, users["editor"], contact_ids(2), {CITY: "Rome"}, "First job")
    second = start(account, users["editor"], contact_ids(2), {CITY: "Bern"}, "Second job")
    work()
    elsewhere = connect(live_server.url, 3, slug="elsewhere")
    start(elsewhere, None, contact_ids(2, slug="elsewhere"), {CITY: "Oslo"}, "Not yours")
    editor = logged_in(users["editor"])
    listed = editor.get("/a/jobs/jobs/").content.decode()
    assert listed.index("Second job") < listed.index("First job")
    assert first.get_absolute_url() in listed and second.get_absolute_url() in listed
    everywhere = editor.get("/jobs/").content.decode()
    assert "Second job" in everywhere and "Not yours" not in everywhere
    assert Job.objects.count() == 3
