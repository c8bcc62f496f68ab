from django.http import HttpRequest, HttpResponse


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def mine(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def desk(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
