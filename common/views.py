"""View helpers shared by the apps."""

from django.views.generic import ListView


class StoryListView(ListView):
    """A paginated list of published stories about one thing (section, tag, person…).

    Subclasses set ``template_name`` and implement ``get_subject`` (the object,
    404 when missing) and ``get_stories(subject)`` (a queryset of stories
    that already went through ``published()``).
    """

    paginate_by = 20
    context_object_name = "stories"

    def get_subject(self):
        raise NotImplementedError

    def get_stories(self, subject):
        raise NotImplementedError

    def get_queryset(self):
        self.subject = self.get_subject()
        return self.get_stories(self.subject)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)
