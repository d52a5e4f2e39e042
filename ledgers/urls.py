from django.urls import path

from . import views

app_name = "ledgers"
urlpatterns = [
    path("", views.index, name="index"),
    path("files/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("book/", views.book, name="book"),
    path("book/<int:pk>/", views.book, name="book_unit"),
    path("book/<int:pk>/book.pdf", views.book_pdf, name="book_pdf"),
    path("book/<int:pk>/progress/", views.book_progress, name="book_progress"),
]
