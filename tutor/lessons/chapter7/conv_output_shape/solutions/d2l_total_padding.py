import math


def conv_output_shape(input_size, kernel_size, stride=1, padding=0):
    """D2L's form, with the total padding p_total = 2·p: ⌊(n − k + p_total + s) / s⌋."""
    n = input_size if isinstance(input_size, tuple) else (input_size, input_size)
    k = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
    s = stride if isinstance(stride, tuple) else (stride, stride)
    p = padding if isinstance(padding, tuple) else (padding, padding)
    result = []
    for i in range(2):
        if k[i] > n[i] + 2 * p[i]:
            raise ValueError(f"kernel {k} does not fit")
        result.append(math.floor((n[i] - k[i] + 2 * p[i] + s[i]) / s[i]))
    return tuple(result)
