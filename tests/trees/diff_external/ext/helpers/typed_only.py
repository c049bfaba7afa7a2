import otherlib
