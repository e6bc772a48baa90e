import mimetypes

from django.apps import AppConfig


class ImagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "images"
    verbose_name = "Media library"

    def ready(self):
        # Django's development media server and S3 uploads take the Content-Type from the
        # file name through mimetypes, whose table depends on the OS (/etc/mime.types); make
        # sure the rendition formats are always known.
        mimetypes.add_type("image/avif", ".avif")
        mimetypes.add_type("image/webp", ".webp")

        from images import signals  # noqa: F401  (connects the receivers)
