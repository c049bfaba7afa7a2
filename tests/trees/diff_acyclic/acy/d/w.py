import acy.a
