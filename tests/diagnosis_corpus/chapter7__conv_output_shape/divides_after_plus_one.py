# mistake: starts from the stride-1 count n + 2p - k + 1 and divides that by the stride
def conv_output_shape(input_size, kernel_size, stride=1, padding=0) -> tuple[int, int]:
    def pair(x):
        return tuple(x) if isinstance(x, (tuple, list)) else (x, x)

    sizes = []
    for n, k, s, p in zip(pair(input_size), pair(kernel_size), pair(stride), pair(padding)):
        if k > n + 2 * p:
            raise ValueError("kernel does not fit")
        sizes.append((n + 2 * p - k + 1) // s)
    return tuple(sizes)
