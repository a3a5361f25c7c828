"""The years a course date may be in, apart from the model so that a build taken whole from the
cache (which imports no model) can check its day too."""

# A year outside this range is a typo, and date arithmetic near year 1 or 9999 overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2199
