"""Files follow their rows: a deleted image's files go once the deletion is committed."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from images import files
from images.models import Image


@receiver(post_delete, sender=Image, dispatch_uid="images.delete_files")
def delete_image_files(sender, instance, using, **kwargs):
    files.delete_on_commit(instance.file.storage, instance.stored_names(), using)
