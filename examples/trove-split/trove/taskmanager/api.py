"""The task manager's RPC API."""

from troveguest import api as guest_api


class API:
    def create_instance(self, name):
        return guest_api.GuestAPI().prepare(name)
