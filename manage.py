#!/usr/bin/env python
from cchc.__main__ import main

if __name__ == "__main__":
    main()
