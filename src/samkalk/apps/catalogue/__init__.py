"""The service catalogue: products with their price models, and the federation's cost pools."""
