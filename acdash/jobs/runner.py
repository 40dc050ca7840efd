"""The item loop of a job (see tasks.run_job)."""


def run(job_id: int) -> None:
    raise NotImplementedError
