from acy.skipme import m
