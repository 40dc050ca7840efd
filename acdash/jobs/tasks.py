"""The background task: whatever backend runs it (the database worker here, RQ later)."""

from django.tasks import task

from . import runner


@task
def run_job(job_id: int) -> None:
    """Run a job's pending items; safe to run again after a crash (it resumes)."""
    runner.run(job_id)
