from ex.pkg import m1
