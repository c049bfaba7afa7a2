from acy.b import y
