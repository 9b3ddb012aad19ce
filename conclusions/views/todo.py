"""The agency's assignments as a section of its to-do list (filled in below)."""


def todo_section(request):
    return None
