from ..gamma import relay
