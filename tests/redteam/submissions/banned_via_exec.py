# verdict: forbidden
# Builds the function from a string under a made-up file name, so no frame of this file is on
# the stack when it calls the banned API.
namespace = {}
exec(compile("import torch\ndef softmax(X):\n    return torch.softmax(X, -1)\n", "<harness>", "exec"), namespace)
softmax = namespace["softmax"]
