def _pair(v):
    return (int(v), int(v)) if isinstance(v, int) else (int(v[0]), int(v[1]))


def conv_output_shape(input_size, kernel_size, stride=1, padding=0):
    (h, w), (kh, kw) = _pair(input_size), _pair(kernel_size)
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    if kh > h + 2 * ph or kw > w + 2 * pw:
        raise ValueError(f"a {kh}×{kw} kernel does not fit into the padded {h + 2 * ph}×{w + 2 * pw} input")
    return ((h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1)
