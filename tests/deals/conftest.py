from .pipeline_fixtures import deal_account, deal_role  # noqa: F401 (fixtures)
