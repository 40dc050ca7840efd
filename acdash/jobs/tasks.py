"""The background task: whatever backend runs it (django-tasks-db here, RQ when scaled out)."""

from django.tasks import task

from . import runner


@task
def run_job(job_id: int) -> None:
    """Work on a job's pending items; safe to run again after a crash (it resumes) and
    alongside other tasks of the same job (each works on the items it claims)."""
    runner.run(job_id)
