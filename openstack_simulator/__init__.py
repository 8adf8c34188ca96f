"""An in-memory OpenStack API simulator that real openstacksdk talks to over HTTP.

Start it with ``python -m openstack_simulator`` or, in tests, with
:func:`openstack_simulator.testing.running_simulator`.
"""

from openstack_simulator.control_client import SimulatorControl
from openstack_simulator.options import Options
from openstack_simulator.server import Simulator

__all__ = ["Options", "Simulator", "SimulatorControl"]
