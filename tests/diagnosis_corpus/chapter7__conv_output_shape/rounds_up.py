# mistake: rounds the division up with math.ceil, counting a partial last window
import math


def conv_output_shape(input_size, kernel_size, stride=1, padding=0) -> tuple[int, int]:
    def pair(x):
        return (x, x) if isinstance(x, int) else (x[0], x[1])

    n, k, s, p = pair(input_size), pair(kernel_size), pair(stride), pair(padding)
    result = []
    for axis in range(2):
        padded = n[axis] + 2 * p[axis]
        if k[axis] > padded:
            raise ValueError("kernel does not fit")
        result.append(math.ceil((padded - k[axis]) / s[axis]) + 1)
    return (result[0], result[1])
