# The models of this area arrive with its own issue; the app is installed from the start so
# that its migrations begin in step with the shared layer.
