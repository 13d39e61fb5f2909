# verdict: error
# message: sys.exit
import sys

sys.exit(0)  # "exit early with success": must not read as a pass
