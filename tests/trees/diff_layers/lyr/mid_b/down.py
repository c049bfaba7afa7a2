# mid_b -> low_a is allowed; low_a.m then reaches top. The chain is low_a's, not mid_b's.
from lyr.low_a import m
