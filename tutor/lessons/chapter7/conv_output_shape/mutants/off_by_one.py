# diagnosis: conv_output_shape.off_by_one
def conv_output_shape(input_size, kernel_size, stride=1, padding=0):
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    (h, w), (kh, kw), (sh, sw), (ph, pw) = map(pair, (input_size, kernel_size, stride, padding))
    if kh > h + 2 * ph or kw > w + 2 * pw:
        raise ValueError("kernel too large")
    return ((h + 2 * ph - kh) // sh, (w + 2 * pw - kw) // sw)
