from ex import e
