from ..low import b
