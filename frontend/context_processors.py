"""Template context every help-centre page needs."""

from django.conf import settings
from django.http import HttpRequest


def help_centre(request: HttpRequest) -> dict:
    return {
        "FARO_SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "DEFAULT_LANGUAGE": settings.LANGUAGE_CODE,
    }
