"""/ping answered before Django looks at the Host header.

Load balancers send their health checks to each instance's own address (an AWS ALB cannot even
be told another Host), which is not in ALLOWED_HOSTS: CommonMiddleware would answer 400 and
every healthy web process would be taken out of service. /ping reveals nothing about the host,
so it is answered whatever the Host; every other path is still checked.
"""

from .api.views import ping

PATH = "/ping"


class PingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH:
            return ping(request).render()
        return self.get_response(request)
