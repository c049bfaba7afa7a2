import somelib.client
