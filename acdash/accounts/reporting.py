"""Error reports (the DEBUG page, admin mails, logged reports) never show an API token."""

from django.views.debug import SafeExceptionReporterFilter


class TokenSafeReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, active with DEBUG on too.

    Django hides ``sensitive_variables`` / ``sensitive_post_parameters`` only while DEBUG is
    off; a developer's debug page (or a DEBUG server exposed by mistake) must not show a
    token either.
    """

    def is_active(self, request) -> bool:
        return True
