from django.apps import AppConfig


class HostsConfig(AppConfig):
    """The products that embed Faro: their signed user identities, allowed origins and CORS.

    ``ready`` connects django-cors-headers' ``check_request_enabled`` signal: the library's
    documented way to allow origins decided at run time (each app's own list, in the database).
    It is the only signal Faro connects outside Wagtail's publish hooks (see ``hosts.cors``).
    """

    name = "hosts"
    verbose_name = "Host products"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from .cors import allow_app_origin

        check_request_enabled.connect(allow_app_origin, dispatch_uid="faro-hosts-cors")
