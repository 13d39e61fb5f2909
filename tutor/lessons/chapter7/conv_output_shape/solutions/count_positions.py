def conv_output_shape(input_size, kernel_size, stride=1, padding=0):
    """Counts the window positions along each axis, one by one."""
    def as_pair(v):
        return tuple(v) if isinstance(v, (tuple, list)) else (v, v)

    out = []
    for n, k, s, p in zip(as_pair(input_size), as_pair(kernel_size), as_pair(stride), as_pair(padding)):
        if k > n + 2 * p:
            raise ValueError("kernel larger than the padded input")
        count, start = 0, 0
        while start + k <= n + 2 * p:
            count += 1
            start += s
        out.append(count)
    return tuple(out)
